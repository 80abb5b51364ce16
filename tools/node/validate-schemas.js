#!/usr/bin/env node
// Validates order event messages against the JSON Schema registry with ajv (draft 2020-12), independently of the
// C# validator, so a test can prove that both agree.
//
// Usage: node tools/node/validate-schemas.js <schemaDir> <message.json>...
// Prints one JSON array: [{ file, valid, schema, errors: [{ path, keyword, message }] }]. Paths use the same
// JSONPath form as the C# validator ($.data.lines[1].quantity, $['odd name']). Exit 0 unless the tool itself fails.
//
// Message -> schema: by eventType and schemaVersion through registry.json, as consumers do. A message whose type or
// version is unknown gets an error at $.eventType / $.schemaVersion and nothing else (there is no contract to check).
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

function main(argv) {
  const [schemaDir, ...files] = argv;
  if (!schemaDir) {
    process.stderr.write('usage: validate-schemas.js <schemaDir> <message.json>...\n');
    return 2;
  }
  const registry = JSON.parse(fs.readFileSync(path.join(schemaDir, 'registry.json'), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }) // oneOf of 'required' alone is the idiom for data XOR payloadReference;
  addFormats(ajv);
  const validators = new Map();
  for (const entry of registry.schemas) {
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, entry.file), 'utf8'));
    validators.set(`${entry.eventType}|${entry.schemaVersion}`, { file: entry.file, validate: ajv.compile(schema) });
  }
  const knownTypes = new Set(registry.schemas.map((e) => e.eventType));

  const results = files.map((file) => {
    let message;
    try {
      message = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      return { file, valid: false, schema: null, errors: [{ path: '$', keyword: 'json', message: e.message }] };
    }
    return { file, ...validateMessage(message, validators, knownTypes) };
  });
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  return 0;
}

function validateMessage(message, validators, knownTypes) {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return { valid: false, schema: null, errors: [{ path: '$', keyword: 'type', message: 'must be object' }] };
  }
  const errors = [];
  const { eventType, schemaVersion } = message;
  if (eventType === undefined) errors.push({ path: '$.eventType', keyword: 'required', message: 'is required' });
  else if (typeof eventType !== 'string') errors.push({ path: '$.eventType', keyword: 'type', message: 'must be string' });
  else if (!knownTypes.has(eventType)) errors.push({ path: '$.eventType', keyword: 'registry', message: 'unknown event type' });
  if (schemaVersion === undefined) errors.push({ path: '$.schemaVersion', keyword: 'required', message: 'is required' });
  else if (typeof schemaVersion !== 'string') errors.push({ path: '$.schemaVersion', keyword: 'type', message: 'must be string' });
  else if (!/^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$/.test(schemaVersion)) errors.push({ path: '$.schemaVersion', keyword: 'pattern', message: 'must be <major>.<minor>' });
  else if (knownTypes.has(eventType) && !validators.has(`${eventType}|${schemaVersion}`)) {
    errors.push({ path: '$.schemaVersion', keyword: 'registry', message: `no schema for ${eventType} ${schemaVersion}` });
  }
  if (errors.length > 0) return { valid: false, schema: null, errors };

  const { file, validate } = validators.get(`${eventType}|${schemaVersion}`);
  if (validate(message)) return { valid: true, schema: file, errors: [] };
  return {
    valid: false,
    schema: file,
    // Errors inside a oneOf branch only explain why that branch did not match; the oneOf error itself says it.
    errors: validate.errors
      .filter((e) => !/\/oneOf\/\d+\//.test(e.schemaPath))
      .map((e) => ({ path: toJsonPath(message, e), keyword: e.keyword, message: e.message })),
  };
}

// ajv reports instancePath as a JSON Pointer to the object holding the problem; for required and
// additionalProperties the offending property is in params. The result names the property itself.
function toJsonPath(root, error) {
  const segments = error.instancePath === ''
    ? []
    : error.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(error.params.missingProperty);
  if (error.keyword === 'additionalProperties') segments.push(error.params.additionalProperty);
  let text = '$';
  let node = root;
  for (const segment of segments) {
    if (Array.isArray(node)) text += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) text += `.${segment}`;
    else text += `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
    node = node !== null && typeof node === 'object' ? node[segment] : undefined;
  }
  return text;
}

process.exitCode = main(process.argv.slice(2));
