// Releases the WebGL vertex-array objects luma.gl 9.4 leaves behind. `Model.destroy()` frees a model's
// pipeline, uniforms and geometry but not its vertex array, and `Model.setBufferLayout()` replaces the
// vertex array without freeing the old one. deck.gl destroys models whenever a layer goes away (every
// scene of the wall) or is rebuilt, so a wall touring its scenes for a week would pile up tens of
// thousands of VAOs (the soak, `npm run soak`, showed about ten a minute). Imported once, before any
// map is created; idempotent. Remove when luma.gl frees them itself (check with the soak's WebGL counts).

import { Model } from '@luma.gl/engine';

interface VertexArrayLike {
  destroyed?: boolean;
  destroy(): void;
}

interface PatchedModel {
  vertexArray?: VertexArrayLike;
  _destroyed?: boolean;
}

const PATCHED = Symbol.for('pingan-atlas.luma-vertex-array-fix');

export function installVertexArrayFix(): void {
  const proto = Model.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[PATCHED]) return;
  proto[PATCHED] = true;

  const destroy = proto.destroy as (this: PatchedModel) => void;
  proto.destroy = function (this: PatchedModel): void {
    const alreadyDestroyed = this._destroyed === true;
    const vertexArray = this.vertexArray;
    destroy.call(this);
    if (!alreadyDestroyed && vertexArray && !vertexArray.destroyed) vertexArray.destroy();
  };

  const setBufferLayout = proto.setBufferLayout as (this: PatchedModel, layout: unknown) => void;
  proto.setBufferLayout = function (this: PatchedModel, layout: unknown): void {
    const before = this.vertexArray;
    setBufferLayout.call(this, layout);
    if (before && before !== this.vertexArray && !before.destroyed) before.destroy();
  };
}

installVertexArrayFix();
