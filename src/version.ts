// The version redis-ts reports as redis_version: the Redis release whose behaviour
// it follows, so clients enable the same features. Our own version is in package.json.
export const VERSION = '7.0.15';
