/** A titled block of the detail page, and the cell styles its tables share. */
export function DetailSection({
  title,
  children,
  testId,
}: {
  title: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <section className="flex flex-col gap-2" data-testid={testId}>
      <h2 className="text-sm font-semibold tracking-wide text-zinc-500 uppercase">{title}</h2>
      {children}
    </section>
  );
}

export const th = "px-3 py-1.5 text-left text-[11px] font-semibold tracking-wide text-zinc-500 uppercase";
export const td = "px-3 py-1.5 align-top";
