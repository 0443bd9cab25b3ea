import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * Development-only GraphiQL served from the installed package, so the IDE works on machines and
 * networks with no CDN. The 9 MB bundle is loaded on the first request for the page, not when a
 * service starts: compiling it cost every service of `npm start` a quarter of a second of CPU.
 */
export function landingPagePlugin<TContext extends BaseContext>(options: {
  endpoint: string;
  title: string;
}): ApolloServerPlugin<TContext> {
  let page: Promise<string> | undefined;
  const html = () => {
    page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) =>
      renderGraphiQL({ endpoint: options.endpoint, title: options.title }),
    );
    return page;
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
