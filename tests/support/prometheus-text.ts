/** The value of one series in Prometheus's text format, matched by name and its exact label set. */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join();
  for (const line of text.split("\n")) {
    const match = /^([^{\s]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    if (
      match[2]
        .split(/,(?=[a-zA-Z_]+=")/)
        .sort()
        .join() === wanted
    )
      return Number(match[3]);
  }
  return undefined;
}
