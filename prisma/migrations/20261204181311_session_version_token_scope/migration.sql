-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('inference', 'api');

-- Tokens made before expiry was required get the default lifetime, counted from their creation.
UPDATE "ApiToken" SET "expiresAt" = "createdAt" + interval '90 days' WHERE "expiresAt" IS NULL;

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "scope" "TokenScope" NOT NULL DEFAULT 'api',
ALTER COLUMN "expiresAt" SET NOT NULL,
ALTER COLUMN "expiresAt" SET DEFAULT (now() + '90 days'::interval);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;
