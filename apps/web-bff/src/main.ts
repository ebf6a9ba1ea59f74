import 'reflect-metadata';
import { runBff } from '@app/platform';
import { createWebBff } from './web-bff.app';

void runBff('web-bff', createWebBff);
