import 'reflect-metadata';
import { runBff } from '@app/platform';
import { createMobileBff } from './mobile-bff.app';

void runBff('mobile-bff', createMobileBff);
