// The wallet's `profile:*` verbs: the folded profile by section, a preview of a change as a diff, and setting
// or removing one field (each a signed block; listeners hear of it).
import { NotFoundError } from '../../core/errors.ts';
import type { Handlers, HandlerContext } from './handlers.ts';

type ProfileChannel = Extract<keyof Handlers, `profile:${string}`>;

export function profileHandlers(ctx: HandlerContext): Pick<Handlers, ProfileChannel> {
  return {
    'profile:get': () => {
      const profile = ctx.profile();
      const state = profile.current();
      const names = [...new Set([...profile.sections(), ...Object.keys(state)])].sort();
      return {
        id: profile.id,
        device: profile.device,
        length: profile.length,
        head: profile.headCid,
        sections: names.map((name) => ({
          name,
          fields: state[name]?.fields ?? {},
          events: Object.entries(state[name]?.media ?? {}).map(([event, refs]) => ({ event, count: refs.length })),
        })),
      };
    },
    'profile:preview': ({ section, ops }) => ({ changes: ctx.profile().preview(section, ops) }),
    'profile:set': ({ section, path, value }) => {
      const block = ctx.profile().set(section, path, value);
      ctx.appended(block);
      return { block };
    },
    'profile:unset': ({ section, path }) => {
      const profile = ctx.profile();
      if (!Object.hasOwn(profile.current()[section]?.fields ?? {}, path)) throw new NotFoundError(`There is no field “${path}” in ${section}.`);
      const block = profile.unset(section, path);
      ctx.appended(block);
      return { block };
    },
  };
}
