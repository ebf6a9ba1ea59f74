// Imported first by each BFF's main.ts, before any other module: the young generation must be
// capped before thousands of modules load into it (heap-tuning.ts says why and how).
import { capYoungGeneration, tuneHeap } from './heap-tuning';

tuneHeap();
capYoungGeneration();
