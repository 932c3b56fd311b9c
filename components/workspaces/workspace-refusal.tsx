/** What a workspace page shows when Kubernetes refuses the person the Workspace: the apiserver's own reason, in place. */
export function WorkspaceRefusal({ title, message }: { title: string; message: string }) {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
        {message}
      </p>
    </div>
  );
}
