// First: sizes V8's heap before the other modules load (libs/platform/src/heap-tuning.ts).
import '@app/platform/heap-tuning.preload';
import 'reflect-metadata';
import { runBff } from '@app/platform';
import { createWebBff } from './web-bff.app';

void runBff('web-bff', createWebBff);
