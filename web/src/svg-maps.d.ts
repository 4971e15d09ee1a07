// Types for the package that @svg-maps/india's own declaration imports but does not ship.

declare module "svg-maps__common" {
  export interface Location {
    id: string;
    name: string;
    path: string;
  }
  export interface Map {
    label: string;
    viewBox: string;
    locations: Location[];
  }
}
