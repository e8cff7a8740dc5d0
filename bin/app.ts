#!/usr/bin/env node
import { PipelineConfigError } from '../lib/config/pipeline-config';
import { createPipelineApp } from '../lib/pipeline-app';

try {
  createPipelineApp().app.synth();
} catch (error) {
  if (!(error instanceof PipelineConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
