import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * Development-only GraphiQL served from the installed package, so the IDE works on machines and
 * networks with no CDN. The 9 MB bundle is loaded only when a server starts in development.
 */
export function landingPagePlugin<TContext extends BaseContext>(options: {
  endpoint: string;
  title: string;
}): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart() {
      const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
      const html = renderGraphiQL({ endpoint: options.endpoint, title: options.title });
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
