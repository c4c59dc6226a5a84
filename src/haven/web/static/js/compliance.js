// The compliance page's day-by-day chart; the numbers come with the page.
import { drawDaily } from './charts.js';

const data = JSON.parse(document.getElementById('compliance-daily').textContent);
drawDaily(document.getElementById('chart-daily'), data.daily, data.effective);
