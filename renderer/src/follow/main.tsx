import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FollowApp } from './follow-app.js';
import { tokenFromPath } from './follow-text.js';
import './follow.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <FollowApp token={tokenFromPath(window.location.pathname)} />
  </StrictMode>,
);
