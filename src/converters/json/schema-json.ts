/**
 * Schemas to and from the JSON JsonConverter puts in its envelope. Key order
 * is Connect's (`asJsonSchema`): `type`, then `items` / `keys`, `values` /
 * `fields`, then `optional`, `name`, `version`, `doc`, `parameters`,
 * `default`; a struct field's `field` comes last.
 */
import { type ConnectField, type ConnectSchema, SCHEMA_TYPES, type SchemaType } from '../data/schema.js';
import { child, type JsonContext, schemaError } from './context.js';
import { toConnectValue } from './read-value.js';
import { type JsonNode, JsonNumber, nodeKind } from './reader.js';
import { fromConnectValue } from './write-value.js';
import { jsonString } from './writer.js';

export function schemaToJson(schema: ConnectSchema, path: string, context: JsonContext): string {
  if (!SCHEMA_TYPES.includes(schema.type))
    throw schemaError(context, path, `unknown schema type ${JSON.stringify(schema.type)}`);
  let out = `{"type":"${schema.type}"`;
  switch (schema.type) {
    case 'array':
      if (!schema.items) throw schemaError(context, path, 'an array schema needs "items"');
      out += `,"items":${schemaToJson(schema.items, `${path}[]`, context)}`;
      break;
    case 'map':
      if (!schema.keys || !schema.values)
        throw schemaError(context, path, 'a map schema needs "keys" and "values"');
      out += `,"keys":${schemaToJson(schema.keys, `${path}{key}`, context)}`;
      out += `,"values":${schemaToJson(schema.values, `${path}{value}`, context)}`;
      break;
    case 'struct': {
      if (!Array.isArray(schema.fields)) throw schemaError(context, path, 'a struct schema needs "fields"');
      const fields = schema.fields.map((field) => {
        if (typeof field.field !== 'string')
          throw schemaError(context, path, 'a struct field needs a "field" name');
        const json = schemaToJson(field, child(path, field.field), context);
        return `${json.slice(0, -1)},"field":${jsonString(field.field)}}`;
      });
      out += `,"fields":[${fields.join(',')}]`;
      break;
    }
  }
  out += `,"optional":${schema.optional === true}`;
  if (schema.name !== undefined) out += `,"name":${jsonString(schema.name)}`;
  if (schema.version !== undefined) {
    if (!Number.isInteger(schema.version))
      throw schemaError(context, path, 'a schema version must be an integer');
    out += `,"version":${schema.version}`;
  }
  if (schema.doc !== undefined) out += `,"doc":${jsonString(schema.doc)}`;
  if (schema.parameters !== undefined) {
    const parameters = Object.entries(schema.parameters).map(([key, value]) => {
      if (typeof value !== 'string')
        throw schemaError(context, path, `schema parameter "${key}" must be a string`);
      return `${jsonString(key)}:${jsonString(value)}`;
    });
    out += `,"parameters":{${parameters.join(',')}}`;
  }
  if (schema.default != null) out += `,"default":${fromConnectValue(schema, schema.default, path, context)}`;
  return `${out}}`;
}

/** The schema a JSON envelope describes (frozen: converters cache it), or null for `"schema": null`. */
export function schemaFromJson(
  node: JsonNode | undefined,
  path: string,
  context: JsonContext,
): ConnectSchema | null {
  if (node === null) return null;
  return readSchema(node, path, context);
}

function readSchema(node: JsonNode | undefined, path: string, context: JsonContext): ConnectSchema {
  if (!(node instanceof Map))
    throw schemaError(context, path, `a schema must be a JSON object, found ${nodeKind(node)}`);
  const type = node.get('type');
  if (typeof type !== 'string') throw schemaError(context, path, 'a schema needs a "type"');
  if (!SCHEMA_TYPES.includes(type as SchemaType))
    throw schemaError(context, path, `unknown schema type "${type}"`);
  const schema: ConnectSchema = { type: type as SchemaType };
  switch (type) {
    case 'array':
      schema.items = nested(node.get('items'), 'items', `${path}[]`, context);
      break;
    case 'map':
      schema.keys = nested(node.get('keys'), 'keys', `${path}{key}`, context);
      schema.values = nested(node.get('values'), 'values', `${path}{value}`, context);
      break;
    case 'struct':
      schema.fields = readFields(node.get('fields'), path, context);
      break;
  }
  schema.optional = node.get('optional') === true;
  const name = node.get('name');
  if (typeof name === 'string') schema.name = name;
  const version = node.get('version');
  if (version instanceof JsonNumber && version.integral) schema.version = Number(version.text);
  const doc = node.get('doc');
  if (typeof doc === 'string') schema.doc = doc;
  const parameters = node.get('parameters');
  if (parameters instanceof Map) {
    schema.parameters = {};
    for (const [key, value] of parameters) {
      if (typeof value !== 'string')
        throw schemaError(context, path, `schema parameter "${key}" must be a string`);
      schema.parameters[key] = value;
    }
  }
  const fallback = node.get('default');
  if (fallback !== undefined) {
    const value = toConnectValue(schema, fallback, `${path}(default)`, context);
    if (value !== null) schema.default = value;
  }
  return Object.freeze(schema);
}

function nested(node: JsonNode | undefined, key: string, path: string, context: JsonContext): ConnectSchema {
  if (node === undefined || node === null) throw schemaError(context, path, `the schema has no "${key}"`);
  return readSchema(node, path, context);
}

function readFields(node: JsonNode | undefined, path: string, context: JsonContext): ConnectField[] {
  if (!Array.isArray(node)) throw schemaError(context, path, 'a struct schema\'s "fields" must be an array');
  return node.map((fieldNode, i) => {
    const name = fieldNode instanceof Map ? fieldNode.get('field') : undefined;
    if (typeof name !== 'string')
      throw schemaError(context, `${path}.fields[${i}]`, 'a struct field needs a "field" name');
    return Object.freeze({ ...readSchema(fieldNode, child(path, name), context), field: name });
  });
}
