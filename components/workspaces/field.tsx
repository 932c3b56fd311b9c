import type { ReactNode } from "react";

/** A form control without a width, for toolbars; `inputClass` fills its column. */
export const controlClass =
  "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-zinc-700 dark:bg-zinc-900 aria-[invalid=true]:border-red-500";
export const inputClass = `w-full ${controlClass}`;

/** A labelled form control with its hint and its server-side errors underneath. */
export function Field({
  label,
  htmlFor,
  hint,
  errors,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: ReactNode;
  errors?: string[];
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-zinc-500">{hint}</p> : null}
      {errors?.map((e) => (
        <p key={e} className="text-xs text-red-700 dark:text-red-400" role="alert" data-testid={`error-${htmlFor}`}>
          {e}
        </p>
      ))}
    </div>
  );
}
