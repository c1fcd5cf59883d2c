import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { StaffRoleName } from '../../../main/contract/index.js';
import { PinPad } from './pin-pad.js';
import { StaffApiContext } from './staff-api.js';
import { createStaffBridge } from './staff-bridge.js';
import { StaffConsole } from './staff-console.js';
import './staff.css';

/** staff.html on a LAN browser: sign in over /staff/bridge; the session is bound to this page's socket. */
function StaffPage() {
  const [role, setRole] = useState<StaffRoleName | null>(null);
  const api = useMemo(() => createStaffBridge(window.location, () => setRole(null)), []);
  return (
    <StaffApiContext.Provider value={api}>
      <div className="staff-page">
        {role ? (
          <StaffConsole
            role={role}
            onExit={() => {
              void api.invoke('auth.signOut', {});
              setRole(null);
            }}
          />
        ) : (
          <PinPad onSignedIn={(r) => setRole(r)} />
        )}
      </div>
    </StaffApiContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StaffPage />
  </StrictMode>,
);
