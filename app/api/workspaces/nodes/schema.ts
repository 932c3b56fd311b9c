import { z } from "zod";

const LABEL = /^[A-Za-z0-9][-A-Za-z0-9_./]{0,252}=[-A-Za-z0-9_.]{0,63}$/;
export const nodesQuery = z.object({
  labels: z
    .string()
    .max(2000)
    .refine(
      (v) => v.split(",").every((pair) => LABEL.test(pair)),
      "labels must be key=value pairs separated by commas",
    ),
  instanceType: z
    .string()
    .max(100)
    .regex(/^[-A-Za-z0-9_.]*$/, "not an instance type")
    .optional(),
});
