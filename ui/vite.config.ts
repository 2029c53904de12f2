/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The Tauri window loads ui/dist from disk (frontendDist) and, in development,
// http://localhost:1420 (devUrl). Linux runs the page in WebKitGTK, so the output
// targets what Safari 15 understands.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // Rust sources change under src-tauri/ while the UI is served: do not watch them.
    watch: { ignored: ['**/src-tauri/**', '**/target/**'] },
  },
  // The elk layout runs in a module worker (src/lib/elk.worker.ts).
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['es2021', 'safari15'],
    sourcemap: false,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
