import { mount } from 'svelte';
import '@xyflow/svelte/dist/style.css';
import './styles/app.css';
import App from './App.svelte';
import { createApiClient } from './api/client';

const target = document.getElementById('app');
if (!target) throw new Error('Netwright: #app element missing from index.html');

mount(App, { target, props: { client: createApiClient() } });
