/**
 * What LazyUploader imports. Pages that show the Uploader up front import it statically, so
 * it shares a chunk with them; importing this module instead lets the bundler hand over a
 * chunk of its own, without the module-namespace helper the shared chunk would otherwise
 * need (about 0.4 kB more for those pages' first load).
 */
export { default } from './Uploader.svelte';
