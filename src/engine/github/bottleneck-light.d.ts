// bottleneck's light build (no Redis clustering), the one @octokit/plugin-throttling itself loads, has
// no declarations of its own; it exports the same class as the full build.
declare module "bottleneck/light.js" {
  import Bottleneck from "bottleneck";
  export default Bottleneck;
}
