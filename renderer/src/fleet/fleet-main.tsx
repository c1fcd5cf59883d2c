import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FleetApp } from './fleet-app.js';
import './fleet.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <FleetApp />
  </StrictMode>,
);
