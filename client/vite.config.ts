import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The staff client and public pages; `npm start` serves client/dist from the hub itself.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    port: 5173,
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } },
  },
});
