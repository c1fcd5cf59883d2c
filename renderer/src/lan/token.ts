/**
 * Device tokens for LAN pages arrive in the address fragment (`display.html#token=…`: a fragment is never sent to a
 * server or written to its access log), are kept in sessionStorage (gone when the browser closes) and removed from
 * the address bar at once, so a screenshot or a shoulder-surfer does not see them.
 */
export function takeTokenFromFragment(storageKey: string, win: Pick<Window, 'location' | 'history' | 'sessionStorage'> = window): string | undefined {
  const params = new URLSearchParams(win.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    win.sessionStorage.setItem(storageKey, fromHash);
    params.delete('token');
    const rest = params.toString();
    win.history.replaceState(null, '', win.location.pathname + win.location.search + (rest ? `#${rest}` : ''));
    return fromHash;
  }
  return win.sessionStorage.getItem(storageKey) ?? undefined;
}
