import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api/browser-connection';
import { Root } from './app/Root';
import './app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Root connection={connect()} />
  </StrictMode>,
);
