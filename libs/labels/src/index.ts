export * from './labels.module';
export * from './render';
export const LABELS_ENTITIES: Function[] = [];
