import type { ReactNode } from "react";

/**
 * A labelled form control with its hint and its errors underneath, tied to the control for screen
 * readers (the control names `${htmlFor}-hint` / `${htmlFor}-error` in aria-describedby: fieldDescribedBy).
 */
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
      {hint ? (
        <p id={`${htmlFor}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
      {errors && errors.length > 0 ? (
        <div id={`${htmlFor}-error`} role="alert" className="flex flex-col gap-0.5">
          {errors.map((e) => (
            <p key={e} className="text-xs text-red-700 dark:text-red-400" data-testid={`error-${htmlFor}`}>
              {e}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** The control's aria-describedby under Field: its hint and its errors, those that are shown. */
export function fieldDescribedBy(htmlFor: string, hint: ReactNode, errors: string[]): string | undefined {
  return (
    [hint ? `${htmlFor}-hint` : "", errors.length > 0 ? `${htmlFor}-error` : ""].filter(Boolean).join(" ") || undefined
  );
}
