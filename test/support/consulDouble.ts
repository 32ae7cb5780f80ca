/**
 * The Consul API double for tests. It lives with the demo's local services
 * (scripts/demo/services/consulDouble.ts), which start it too: the demo
 * must not import test code, and one double is one implementation.
 */
export { ConsulDouble, type CheckStatus, type ConsulDoubleOptions, type DoubleInstance, type Misbehaviour, type SeenRequest } from '../../scripts/demo/services/consulDouble';
