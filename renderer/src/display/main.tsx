import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeTokenFromFragment } from '../lan/token.js';
import { DisplayApp } from './display-app.js';
import './display.css';

const token = takeTokenFromFragment('hall-kiosk.display-token');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DisplayApp token={token} />
  </StrictMode>,
);
