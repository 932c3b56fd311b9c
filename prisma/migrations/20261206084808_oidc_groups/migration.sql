-- AlterTable
ALTER TABLE "User" ADD COLUMN     "oidcGroups" TEXT[] DEFAULT ARRAY[]::TEXT[];
