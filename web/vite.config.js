// Vite builds web/ into build/web (served by `chuishao serve`, see docs/web.md).
// `npm run dev` proxies /api to a server on CHUISHAO_API (default http://127.0.0.1:8080).
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: '../build/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': process.env.CHUISHAO_API || 'http://127.0.0.1:8080' },
  },
});
