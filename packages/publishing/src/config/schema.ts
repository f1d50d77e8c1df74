// The JSON Schema is kept as a JSON file in config/ so editors can use it too; the
// bundle inlines it, so the action never reads it from disk at run time.
import schema from '../../../../config/publishing-config.schema.json' with { type: 'json' };

export const publishingConfigSchema: object = schema;
