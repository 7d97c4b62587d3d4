export interface Notice {
  id: number;
  level: 'info' | 'success' | 'error';
  message: string;
}

/** Short messages for the user: refused edits, saves, errors with what to do. */
export class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  show(message: string, level: Notice['level'] = 'info', timeoutMs = level === 'error' ? 8000 : 4000): void {
    const id = this.next++;
    this.items = [...this.items.slice(-3), { id, level, message }];
    setTimeout(() => this.dismiss(id), timeoutMs);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}
