"""The words the benchmarks that clone items into a large OUT give their clones (titles,
issuers): places of Zhejiang, offices and topics as county and city circulars name them."""

PLACES = ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "青田",
          "龙泉", "江山", "义乌", "东阳", "永康", "兰溪", "临海", "温岭", "乐清", "瑞安", "海宁", "桐乡")
OFFICES = ("人民政府办公室", "发展和改革委员会", "财政局", "教育局", "民政局", "农业农村局", "档案馆",
           "卫生健康委员会", "交通运输局", "自然资源和规划局", "生态环境局", "住房和城乡建设局")
TOPICS = ("扶贫结对帮扶", "安全生产", "档案数字化", "防汛防台", "农村饮用水", "义务教育", "医疗保障",
          "森林防火", "粮食收购", "道路交通", "环境整治", "旧城改造", "政务公开", "统计调查")
