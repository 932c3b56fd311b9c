import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

export type AuditFilterValues = Partial<
  Record<"actor" | "action" | "target" | "namespace" | "outcome" | "from" | "to" | "q", string>
>;

const FIELDS = [
  { name: "q", label: "Search", placeholder: "text in summary, target, actor…" },
  { name: "actor", label: "Actor", placeholder: "email" },
  { name: "action", label: "Action", placeholder: "workspace, or workspace.create" },
  { name: "target", label: "Target", placeholder: "object name" },
  { name: "namespace", label: "Namespace", placeholder: "namespace" },
] as const;

/** "workspace" for workspace.create, workspace.delete …: a resource name matches all its actions. */
function actionChoices(actions: string[]): { value: string; label: string }[] {
  const resources = [...new Set(actions.map((a) => a.split(".")[0]).filter(Boolean))].sort();
  return [
    ...resources.map((r) => ({ value: r, label: `every ${r} action` })),
    ...actions.map((a) => ({ value: a, label: a })),
  ];
}

type Props = { values: AuditFilterValues; errors: Record<string, string[]>; actions: string[] };

/** A plain GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ values, errors, actions }: Props) {
  return (
    <form
      method="get"
      action="/audit"
      className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8"
      aria-label="Filter audit events"
    >
      {FIELDS.map((field) => (
        <label key={field.name} className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
          {field.label}
          <Input
            name={field.name}
            defaultValue={values[field.name] ?? ""}
            placeholder={field.placeholder}
            maxLength={320}
            aria-invalid={Boolean(errors[field.name])}
            list={field.name === "action" ? "audit-actions" : undefined}
          />
          {errors[field.name] ? (
            <span role="alert" className="text-red-700 dark:text-red-400">
              {errors[field.name][0]}
            </span>
          ) : null}
        </label>
      ))}
      <datalist id="audit-actions" data-testid="audit-action-choices">
        {actionChoices(actions).map((c) => (
          <option key={c.value} value={c.value} label={c.label} />
        ))}
      </datalist>
      <div className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        <label htmlFor="filter-outcome">Outcome</label>
        <Select id="filter-outcome" name="outcome" defaultValue={values.outcome ?? ""}>
          <option value="">any</option>
          <option value="succeeded">succeeded</option>
          <option value="denied">denied</option>
          <option value="failed">failed</option>
        </Select>
      </div>
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        From
        <Input
          name="from"
          type="datetime-local"
          step="1"
          defaultValue={values.from ?? ""}
          aria-invalid={Boolean(errors.from)}
        />
        {errors.from ? (
          <span role="alert" className="text-red-700 dark:text-red-400">
            {errors.from[0]}
          </span>
        ) : null}
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        To
        <Input
          name="to"
          type="datetime-local"
          step="1"
          defaultValue={values.to ?? ""}
          aria-invalid={Boolean(errors.to)}
        />
        {errors.to ? (
          <span role="alert" className="text-red-700 dark:text-red-400">
            {errors.to[0]}
          </span>
        ) : null}
      </label>
      <div className="col-span-full flex gap-2">
        <Button type="submit">Apply filters</Button>
        <a href="/audit" className="rounded-md px-3 py-1.5 text-sm text-zinc-600 hover:underline dark:text-zinc-400">
          Clear
        </a>
      </div>
    </form>
  );
}
