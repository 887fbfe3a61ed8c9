// Placeholder: this screen is being built.
export default function Component() {
  return <h1>CollectionRoute</h1>;
}
