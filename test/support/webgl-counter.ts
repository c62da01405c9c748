// A page init script that counts live WebGL objects (buffers, textures, framebuffers, renderbuffers,
// programs, shaders, vertex arrays) by wrapping create*/delete* on the WebGL2 and WebGL contexts, so a
// soak can show that GPU resources stay flat. Read it with `readWebglCounts(page)`.

import type { Page } from 'playwright-core';

export const WEBGL_COUNTER_SCRIPT = `(() => {
  const kinds = ['Buffer', 'Texture', 'Framebuffer', 'Renderbuffer', 'Program', 'Shader', 'VertexArray', 'Query', 'Sampler'];
  const live = Object.fromEntries(kinds.map((kind) => [kind, 0]));
  window.__webglLive = live;
  for (const Context of [window.WebGL2RenderingContext, window.WebGLRenderingContext]) {
    if (!Context) continue;
    for (const kind of kinds) {
      const create = Context.prototype['create' + kind];
      const remove = Context.prototype['delete' + kind];
      if (!create || !remove) continue;
      Context.prototype['create' + kind] = function (...args) {
        const object = create.apply(this, args);
        if (object) live[kind] += 1;
        return object;
      };
      Context.prototype['delete' + kind] = function (object) {
        if (object && !object.__atlasDeleted) {
          object.__atlasDeleted = true;
          live[kind] -= 1;
        }
        return remove.call(this, object);
      };
    }
  }
})();`;

export type WebglCounts = Record<string, number>;

export function readWebglCounts(page: Page): Promise<WebglCounts> {
  return page.evaluate(() => ({ ...((window as unknown as { __webglLive?: Record<string, number> }).__webglLive ?? {}) }));
}
