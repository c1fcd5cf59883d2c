import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CounterApp } from './counter-app.js';
import './counter.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CounterApp />
  </StrictMode>,
);
