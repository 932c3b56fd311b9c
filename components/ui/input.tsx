import type { InputHTMLAttributes, ReactNode } from "react";

import { Field, fieldDescribedBy } from "./field";

/** A form control without a width, for toolbars; `controlClass` fills its column. */
export const inlineControlClass =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 placeholder:text-zinc-400 focus-visible:outline-2 focus-visible:outline-blue-600 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
export const controlClass = `w-full ${inlineControlClass}`;

export function Input({ className = "", ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={`${controlClass} ${className}`} {...props} />;
}

/** A labelled control with its one error underneath (see Field for hints and several errors). */
export function FormField({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <Field label={label} htmlFor={id} errors={error ? [error] : undefined}>
      {children}
    </Field>
  );
}

/**
 * A labelled one-line input with its hint and its errors underneath (see Field), described by
 * them and marked invalid while it has errors: a form's field for one value.
 */
export function InputField({
  id,
  label,
  hint,
  errors = [],
  ...input
}: { id: string; label: string; hint?: ReactNode; errors?: string[] } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "className" | "aria-invalid" | "aria-describedby"
>) {
  return (
    <Field label={label} htmlFor={id} hint={hint} errors={errors}>
      <input
        id={id}
        className={controlClass}
        aria-invalid={errors.length > 0}
        aria-describedby={fieldDescribedBy(id, hint, errors)}
        {...input}
      />
    </Field>
  );
}
