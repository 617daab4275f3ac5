/**
 * The fields an update changes: each is set on the entity, and named with the value others are
 * told (the event payload), only when it differs from what the entity holds. Values compare as
 * JSON, with undefined and null alike, so arrays and embeddables compare by content.
 */
export class ChangeSet<T extends object> {
  /** Field → value as shown in the event, for the fields that changed. */
  readonly changes: Record<string, unknown> = {};

  constructor(private readonly entity: T) {}

  put<K extends keyof T & string>(key: K, value: T[K], shown: unknown = value): void {
    if (JSON.stringify(value ?? null) === JSON.stringify(this.entity[key] ?? null)) return;
    this.entity[key] = value;
    this.changes[key] = shown ?? null;
  }

  get empty(): boolean {
    return Object.keys(this.changes).length === 0;
  }
}
