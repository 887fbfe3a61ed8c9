/// <reference types="vite/client" />

declare module 'virtual:schema-introspection' {
  import type { IntrospectionData } from '@urql/exchange-graphcache';
  const schema: IntrospectionData;
  export default schema;
}
