import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';

export interface ConsoleSection {
  href: string;
  label: string;
  /** Shown in the phone's bottom bar; the rest sit behind "More". */
  primary: boolean;
  visible?: (principal: Principal) => boolean;
}

/** Every section of the console, in navigation order: one list for the top bar, the bottom bar and the overview's links. */
export const CONSOLE_SECTIONS: readonly ConsoleSection[] = [
  { href: '/', label: 'Overview', primary: true },
  { href: '/health', label: 'Health', primary: false },
  { href: '/healing', label: 'Healing', primary: true },
  { href: '/defense', label: 'Defense', primary: true },
  { href: '/recovery', label: 'Recovery', primary: true },
  { href: '/fleet', label: 'Fleet', primary: false },
  { href: '/risk', label: 'Risk', primary: false },
  { href: '/drills', label: 'Drills', primary: false },
  { href: '/alerts', label: 'Alerts', primary: false },
  { href: '/audit', label: 'Audit', primary: false },
  { href: '/status-pages', label: 'Status pages', primary: false, visible: canOperate },
  { href: '/settings', label: 'Settings', primary: false },
  { href: '/admin', label: 'Admin', primary: false, visible: canAdminister },
  { href: '/api-docs', label: 'API', primary: false },
];

export function sectionsFor(principal: Principal): ConsoleSection[] {
  return CONSOLE_SECTIONS.filter((section) => !section.visible || section.visible(principal));
}

/** Whether `pathname` is inside `href` (the overview only matches itself). */
export function isCurrentSection(href: string, pathname: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
