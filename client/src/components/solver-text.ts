// The siting answer's solver and bound descriptions in the UI language: plan.optimize reports them in
// English, so Chinese replaces the known phrases (the rest stays as the API wrote it).

import type { Lang } from '../../../server/domain/labels';

/** Known phrases, longest first where one contains another. */
const SOLVER_TERMS_ZH: readonly [RegExp, string][] = [
  [/model reduced to (\d+) demand groups × (\d+) candidates/g, '模型约简为 $1 个需求组 × $2 个候选点'],
  [/Lagrangian reduced-cost fixing/g, '拉格朗日约简成本固定'],
  [/Lagrangian relaxation \(reduced model\)/g, '拉格朗日松弛（约简模型）'],
  [/CBC MIP on the reduced model/g, '约简模型上的 CBC 整数规划'],
  [/HiGHS MIP on the reduced model/g, '约简模型上的 HiGHS 整数规划'],
  [/CBC MIP \(optimal\)/g, 'CBC 整数规划（最优）'],
  [/CBC MIP dual bound/g, 'CBC 整数规划对偶界'],
  [/proven optimal by the LP bound/g, '线性规划界证明最优'],
  [/proven optimal by HiGHS MIP/g, 'HiGHS 整数规划证明最优'],
  [/HiGHS MIP on the Lagrangian-reduced model/g, '拉格朗日约简后的 HiGHS 整数规划'],
  [/HiGHS MIP dual bound/g, 'HiGHS 整数规划对偶界'],
  [/HiGHS MIP \(optimal\)/g, 'HiGHS 整数规划（最优）'],
  [/HiGHS MIP \(after Lagrangian reduction\)/g, '拉格朗日约简后的 HiGHS 整数规划'],
  [/HiGHS MIP/g, 'HiGHS 整数规划'],
  [/LP relaxation of set covering per radius \(HiGHS\)/g, '逐半径集合覆盖线性松弛（HiGHS）'],
  [/HiGHS set-covering MIP per radius/g, '逐半径集合覆盖整数规划（HiGHS）'],
  [/LP relaxation \(HiGHS\)/g, '线性规划松弛（HiGHS）'],
  [/Lagrangian relaxation/g, '拉格朗日松弛'],
  [/online submodular bound per radius/g, '逐半径次模在线界'],
  [/online submodular bound/g, '次模在线界'],
  [/binary search on the radius with greedy \+ swap covering/g, '半径二分 + 贪心交换覆盖'],
  [/binary search on the radius with the HiGHS set-covering MIP/g, '半径二分 + HiGHS 集合覆盖整数规划'],
  [/lazy greedy/g, '惰性贪心'],
  [/swap search/g, '交换搜索'],
  [/neighbourhood search/g, '变邻域搜索'],
  [/fixed sites suffice/g, '现有设施已满足'],
];

/** `text` (a solver or bound description from plan.optimize) in `lang`. */
export function solverText(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  return SOLVER_TERMS_ZH.reduce((out, [pattern, zh]) => out.replace(pattern, zh), text).replace(/, /g, '，').replace(/; /g, '；');
}
