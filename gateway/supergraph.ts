import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from '../platform/logger.ts';
import { holdSchemaNames } from './schema-names.ts';

export interface SupergraphFileOptions {
  path: string;
  watch: boolean;
  log: Logger;
  /** Rewrites the file's SDL into what @apollo/gateway is given (see presentEnforcedSecurityFeatures). */
  transform?: (sdl: string) => string;
  /** Called once the gateway holds a schema, with the file's SDL and a short id for logs. */
  onLoaded?: (sdl: string, id: string) => void;
}

function shortId(sdl: string): string {
  let hash = 0;
  for (let i = 0; i < sdl.length; i += 1) hash = (Math.imul(hash, 31) + sdl.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Serves the supergraph from a file and, when asked, follows changes to it. The directory is
 * watched rather than the file so editors and deploy tools that replace the file atomically are
 * seen. A new schema that fails to load is logged and the previous one keeps serving.
 */
export function supergraphFromFile(options: SupergraphFileOptions): SupergraphManager {
  return {
    async initialize({ update }) {
      const transform = options.transform ?? ((sdl: string) => sdl);
      let current = readFileSync(options.path, 'utf8');
      holdSchemaNames(current);
      const initial = transform(current);
      options.onLoaded?.(current, shortId(current));
      let watcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      const reload = () => {
        let next: string;
        try {
          next = readFileSync(options.path, 'utf8');
        } catch (error) {
          options.log.error(
            { err: error, path: options.path },
            'supergraph file unreadable; keeping the current schema',
          );
          return;
        }
        if (next === current) return;
        try {
          holdSchemaNames(next);
          update(transform(next));
          current = next;
          options.log.info({ schemaId: shortId(next), path: options.path }, 'supergraph reloaded');
          options.onLoaded?.(next, shortId(next));
        } catch (error) {
          options.log.error(
            { err: error, path: options.path },
            'new supergraph rejected; keeping the current schema',
          );
        }
      };
      if (options.watch) {
        const file = basename(options.path);
        watcher = watch(dirname(options.path), (_event, name) => {
          if (name !== file) return;
          // Writers often touch the file several times in a row; read once it settles.
          clearTimeout(timer);
          timer = setTimeout(reload, 50);
        });
      }
      return {
        supergraphSdl: initial,
        cleanup: async () => {
          clearTimeout(timer);
          watcher?.close();
        },
      };
    },
  };
}
