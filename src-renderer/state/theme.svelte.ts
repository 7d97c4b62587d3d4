export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'netwright.theme';

/** Light or dark, remembered between launches; the system preference decides the first time. */
export class ThemeStore {
  current = $state<Theme>('light');

  constructor() {
    const saved = localStorage.getItem(STORAGE_KEY);
    const prefersDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
    this.apply(saved === 'dark' || saved === 'light' ? saved : prefersDark ? 'dark' : 'light');
  }

  toggle(): void {
    this.apply(this.current === 'dark' ? 'light' : 'dark');
    localStorage.setItem(STORAGE_KEY, this.current);
  }

  private apply(theme: Theme): void {
    this.current = theme;
    document.documentElement.dataset.theme = theme;
  }
}
