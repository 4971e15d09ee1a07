// Longitude/latitude → coordinates in the @svg-maps/india viewBox (0 0 612 696).

/**
 * The map is a Mercator projection. The constants were fitted by least squares
 * to the known extreme points of 11 states (residuals < 1.2 px in y, < 0.4 px in x).
 */
const X_PER_DEGREE = 20.948;
const X_OFFSET = -1428.52;
const Y_PER_MERCATOR_DEGREE = 21.009;
const Y_OFFSET = 838.35;

export const MAP_WIDTH = 612;
export const MAP_HEIGHT = 696;

export function project(longitude: number, latitude: number): { x: number; y: number } {
  const phi = (latitude * Math.PI) / 180;
  const mercatorDegrees = (Math.log(Math.tan(Math.PI / 4 + phi / 2)) * 180) / Math.PI;
  return {
    x: X_PER_DEGREE * longitude + X_OFFSET,
    y: Y_OFFSET - Y_PER_MERCATOR_DEGREE * mercatorDegrees,
  };
}
