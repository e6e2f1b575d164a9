/** pipe's public API: what users import from their own code and tests. */

export {
  type ApplyOptions,
  type ApplyResult,
  applyProject,
  describeWait,
} from './apply/index.js';
export { type Diagnostic, diagnosticsReport, formatDiagnostics } from './config/diagnostics.js';
export { type LoadOptions, type LoadResult, loadDesiredState, loadProject } from './config/load.js';
export type { ConnectorSpec, DesiredState, ProjectSpec, TopicSpec } from './config/model.js';
export type { PipelineFile, ProjectFile } from './config/types.gen.js';
export {
  ByteArrayConverter,
  type ConnectField,
  type ConnectSchema,
  type Converter,
  createConverter,
  DATE_NAME,
  DECIMAL_NAME,
  Decimal,
  type DecimalValue,
  JsonConverter,
  type JsonConverterOptions,
  type SchemaAndValue,
  type SchemaOptions,
  Schemas,
  type SchemaType,
  StringConverter,
  TIME_NAME,
  TIMESTAMP_NAME,
  validateValue,
} from './converters/index.js';
export { type ErrorCode, PipeError } from './errors.js';
export { hasChanges, type PlanOptions, plan, planProject } from './plan/index.js';
export type { ActualState, Change, Plan } from './plan/model.js';
export { type PlanJson, planJsonText, toPlanJson } from './plan/plan-json.js';
