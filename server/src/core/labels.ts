/** An enum's labels (value → the words people read) as the descriptions its GraphQL registration takes. */
export function describeValues<K extends string>(labels: Record<K, string>): Record<K, { description: string }> {
  return Object.fromEntries(Object.entries<string>(labels).map(([k, v]) => [k, { description: v }])) as Record<K, { description: string }>;
}
