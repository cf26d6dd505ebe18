/** The application version, kept in step with package.json by the build. */
export const LIGHTPOOL_VERSION = '0.1.0';
export const LIGHTPOOL_NAME = 'Lightpool';
