import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

export interface IdeOptions {
  /** The operation the IDE opens with: a comment that says how to start, and a real query. */
  defaultQuery: string;
  /** The Headers tab's first content (a dev token, or how to get one). */
  headers: () => Promise<Record<string, string>>;
}

/** A dev token in the page is re-minted this often, so an open IDE never holds an expired one. */
const PAGE_TTL_MS = 30 * 60_000;

/**
 * Development-only GraphiQL served from the installed package, so the IDE works on machines and
 * networks with no CDN. It opens with an example query and, in its Headers tab, a dev token (see
 * IdeOptions). The 9 MB page is rendered on the first request for it, not when a service starts
 * (compiling it cost every service of `npm start` a quarter of a second of CPU), then kept; it is
 * sent compressed (compressed-page.ts).
 */
export function landingPagePlugin<TContext extends BaseContext>(options: {
  endpoint: string;
  title: string;
  ide?: IdeOptions;
}): ApolloServerPlugin<TContext> {
  let page: { html: Promise<string>; at: number } | undefined;
  const render = async () => {
    const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
    const headers = options.ide ? await options.ide.headers() : {};
    return renderGraphiQL({
      endpoint: options.endpoint,
      title: options.title,
      ...(options.ide
        ? { defaultQuery: options.ide.defaultQuery, headers: JSON.stringify(headers, null, 2) }
        : {}),
    });
  };
  const html = () => {
    if (!page || Date.now() - page.at > PAGE_TTL_MS) page = { html: render(), at: Date.now() };
    return page.html;
  };
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
