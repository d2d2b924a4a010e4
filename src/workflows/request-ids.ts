import { REMEMBERED_REQUEST_IDS } from '../domain/index.ts';
/**
 * The request ids (Update ids) of the commands this agreement applied, carried across continue-as-new: Temporal
 * deduplicates an Update id within one run only. The oldest are forgotten past `capacity`.
 */
export class RequestIdMemory {
  private readonly ids: string[];
  private readonly known: Set<string>;

  private readonly capacity: number;

  constructor(carried: readonly string[] = [], capacity = REMEMBERED_REQUEST_IDS) {
    this.capacity = capacity;
    this.ids = carried.slice(-capacity);
    this.known = new Set(this.ids);
  }

  has(id: string): boolean {
    return this.known.has(id);
  }

  remember(id: string): void {
    if (this.known.has(id)) return;
    this.ids.push(id);
    this.known.add(id);
    if (this.ids.length > this.capacity) this.known.delete(this.ids.shift() ?? '');
  }

  toJSON(): string[] {
    return [...this.ids];
  }
}
