import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { App, preloadMode } from './app';
import { prepareOfflineQueries, registerServiceWorker } from './pwa/register-service-worker';
import { queryClient } from './trpc';
import './styles.css';

preloadMode(window.location.pathname);
prepareOfflineQueries(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

registerServiceWorker(queryClient);
